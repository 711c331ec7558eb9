"""Signed certificates: keygen, signature, verify, and tampering that verify names."""

from __future__ import annotations

import json
import stat

from conformance import signing

from .cli import assert_one_line_exit_4, run_cli, run_process


def test_keygen_writes_a_private_key_only_its_owner_reads_and_refuses_to_overwrite(tmp_path, capsys):
    done = run_cli(capsys, "keygen", "--out", str(tmp_path / "qa"))
    assert done.code == 0
    assert stat.S_IMODE((tmp_path / "qa").stat().st_mode) == 0o600
    fingerprint = signing.fingerprint(signing.load_public_key(tmp_path / "qa.pub"))
    assert fingerprint in done.out and fingerprint.startswith("sha256:")
    assert_one_line_exit_4(run_process("keygen", "--out", str(tmp_path / "qa")))


def test_canonical_form_ignores_key_order_whitespace_and_the_signature():
    first = {"b": 1, "a": {"y": [1, 2], "x": "é"}}
    second = {"a": {"x": "é", "y": [1, 2]}, "b": 1, "signature": {"value": "anything"}}
    assert signing.canonical_bytes(first) == signing.canonical_bytes(second)
    assert signing.canonical_bytes(first) == '{"a":{"x":"é","y":[1,2]},"b":1}'.encode()


def test_a_signed_report_verifies(report, key_pair, capsys):
    private, public = key_pair
    folder = report("run", sign_key=private)
    certificate = json.loads((folder / "certificate.json").read_text())
    assert set(certificate["reports"]) == {"results.json", "exchanges.jsonl"}
    assert certificate["signature"]["signer"] == "ACME QA"
    done = run_cli(capsys, "verify", str(folder / "certificate.json"), "--public-key", str(public))
    assert (done.code, done.out.splitlines()[0]) == (0, f"VALID: {folder / 'certificate.json'}")
    html = (folder / "certificate.html").read_text()
    assert "ACME QA" in html and certificate["signature"]["key_fingerprint"] in html


def test_a_verdict_changed_in_the_certificate_breaks_the_signature_and_names_the_requirement(report, key_pair, capsys):
    private, public = key_pair
    folder = report("run", sign_key=private, failing={"REJ-010"})
    path = folder / "certificate.json"
    certificate = json.loads(path.read_text())
    next(item for item in certificate["requirements"] if item["id"] == "REJ-010")["verdict"] = "pass"
    path.write_text(json.dumps(certificate, indent=2))
    done = run_cli(capsys, "verify", str(path), "--public-key", str(public))
    assert done.code == 1
    assert "INVALID" in done.out
    assert "REJ-010: the certificate says pass, results.json's tests say fail" in done.out
    assert "content was changed after signing" in done.out


def test_a_verdict_changed_in_results_json_is_named(report, key_pair, capsys):
    private, public = key_pair
    folder = report("run", sign_key=private, failing={"REJ-010"})
    results = json.loads((folder / "results.json").read_text())
    next(test for test in results["tests"] if test["requirement"] == "REJ-010")["outcome"] = "passed"
    (folder / "results.json").write_text(json.dumps(results, indent=2))
    done = run_cli(capsys, "verify", str(folder), "--public-key", str(public))
    assert done.code == 1
    assert "results.json does not match the certificate" in done.out
    assert "REJ-010: the certificate says fail, results.json's tests say pass" in done.out
    assert "signature" not in done.out.split("note:")[0].lower()  # the certificate itself is intact


def test_one_byte_of_an_exchange_changed_is_named_even_without_a_key(report, key_pair, capsys):
    private, _ = key_pair
    folder = report("run", sign_key=private)
    exchanges = folder / "exchanges.jsonl"
    data = bytearray(exchanges.read_bytes())
    data[data.index(b"200")] = ord("5")
    exchanges.write_bytes(bytes(data))
    done = run_cli(capsys, "verify", str(folder))
    assert done.code == 1
    assert "exchanges.jsonl does not match the certificate" in done.out
    assert "note: signature not checked" in done.out


def test_a_missing_report_is_named(report, capsys):
    folder = report("run")
    (folder / "exchanges.jsonl").unlink()
    done = run_cli(capsys, "verify", str(folder))
    assert done.code == 1 and "exchanges.jsonl is missing" in done.out


def test_another_key_is_named(report, key_pair, tmp_path, capsys):
    private, _ = key_pair
    _, other_public = signing.generate_key_pair(tmp_path / "other")
    folder = report("run", sign_key=private)
    done = run_cli(capsys, "verify", str(folder), "--public-key", str(other_public))
    assert done.code == 1
    expected = signing.fingerprint(signing.load_public_key(other_public))
    assert f"not with the given public key {expected}" in done.out


def test_a_certificate_re_signed_with_another_key_does_not_pass_as_the_original(report, key_pair, tmp_path, capsys):
    private, public = key_pair
    other_private, _ = signing.generate_key_pair(tmp_path / "forger")
    folder = report("run", sign_key=private)
    path = folder / "certificate.json"
    certificate = json.loads(path.read_text())
    forged = signing.sign(certificate, signing.load_private_key(other_private), "ACME QA")
    forged["signature"]["key_fingerprint"] = certificate["signature"]["key_fingerprint"]  # claims the real key
    path.write_text(json.dumps(forged))
    done = run_cli(capsys, "verify", str(path), "--public-key", str(public))
    assert done.code == 1 and "content was changed after signing" in done.out


def test_an_unsigned_certificate_checked_with_a_key_is_invalid(report, key_pair, capsys):
    _, public = key_pair
    folder = report("run")
    done = run_cli(capsys, "verify", str(folder), "--public-key", str(public))
    assert done.code == 1 and "not signed" in done.out


def test_verify_bad_input_is_one_line_exit_4(tmp_path, report):
    folder = report("run")
    junk = tmp_path / "junk.pub"
    junk.write_text("not a key")
    assert_one_line_exit_4(run_process("verify", str(folder), "--public-key", str(junk)))
    assert_one_line_exit_4(run_process("verify", str(tmp_path / "nope.json")))
