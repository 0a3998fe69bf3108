"""Reviews of negative ratings: the pure rules, the workflow applied to the store, presence at the tap."""
