"""The claim ledger: claims across articles, grouped, with supporters, deniers and independent origins."""
