"""firesweep — offline field inspection for hospital fire-hazard campaigns."""

__version__ = "0.1.0"
