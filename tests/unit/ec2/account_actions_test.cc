// Filled in by the owner of the action group.
