"""The inventory's pure model: products, locations, moves, lots and valuation."""
