"""The command line: thin adapters that parse options, call one service and format the result."""
