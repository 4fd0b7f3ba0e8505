"""What an operator sees of a running service: Prometheus metrics and structured request logs."""
