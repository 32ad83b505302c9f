from rekindle.cli.main import run

run()
