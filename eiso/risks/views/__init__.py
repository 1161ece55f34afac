"""Pages of the context, interested parties and the register of risks and opportunities."""
