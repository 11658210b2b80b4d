"""The web UI: paste or point at an article and read its annotated report; browse the ledger."""
