"""The ``gridgraph`` command line: a thin shell over the library."""
