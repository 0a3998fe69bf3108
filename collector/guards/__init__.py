"""What every HTTP request passes before a route runs: body limits, per-address limits, refusals and the write guard."""
