"""The Docker deployment, built and run for real (see .ci/stack_test.py)."""
