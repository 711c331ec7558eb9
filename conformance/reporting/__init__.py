"""What a run tells people: per-requirement verdicts, the certificate, and the HTML report's extras."""
