"""Reading layers: each a function from a parsed document (and the report so far) to its part of the report."""
