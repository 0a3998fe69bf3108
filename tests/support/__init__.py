"""What tests of every side share: stand-ins for the world (brokers peers, servers), seeded stores, page readers."""
