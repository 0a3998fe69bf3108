"""The people who sign in: accounts, passwords, sessions and throttling; employees' names and their own figures."""
