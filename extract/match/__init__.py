"""Find the numbers of a text and decide which are claims: text, numbers, qualifiers, the rule set and the engine."""
