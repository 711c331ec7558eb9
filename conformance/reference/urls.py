"""URL routes of the reference, following the docs' paths (trailing slashes included)."""

from django.urls import path

from conformance.reference.views import login, orders, provider_states, supplier

urlpatterns = [
    path("timp/organizations/user-login/", login.UserLoginView.as_view()),
    path("timp/orders/create/", orders.CreateOrderView.as_view()),
    path("timp/orders/cancel/", orders.CancelOrderView.as_view()),
    path("timp/orders/<uuid:order_uuid>/", orders.OrderDetailView.as_view()),
    path("timp/orders/items/cancel/<uuid:item_uuid>/", orders.CancelOrderItemView.as_view()),
    path("timp/orders/cancel/<uuid:order_uuid>/confirm/", supplier.ConfirmOrderCancellationView.as_view()),
    path("timp/orders/cancel/<uuid:order_uuid>/reject/", supplier.RejectOrderCancellationView.as_view()),
    path("timp/orders/items/cancel/<uuid:item_uuid>/confirm/", supplier.ConfirmItemCancellationView.as_view()),
    path("timp/orders/items/cancel/<uuid:item_uuid>/reject/", supplier.RejectItemCancellationView.as_view()),
    path(provider_states.PATH, provider_states.ProviderStatesView.as_view()),
]
