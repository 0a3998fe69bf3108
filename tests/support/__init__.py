"""What tests share besides fixtures: stand-ins for the world (MQTT peers, servers, processes), seeded stores."""
