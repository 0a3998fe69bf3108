"""From a message to a stored rating.

The MQTT subscriber, the pure classifier, the phone system's calls, the writer's health and the seq rules.
"""
