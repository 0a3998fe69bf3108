"""From a message to a stored rating.

The MQTT subscriber, the pure classifier, the batch the subscriber and the phone system's calls both store
(and the records it travels in), the writer's health, and the pure rules on seq, conflicts and clocks.
"""
