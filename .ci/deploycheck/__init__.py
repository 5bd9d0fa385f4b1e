"""The deployment check run by .ci/deploy_test.py."""
