"""The reports: daily and period figures, their maths, exports, the centre-in-figures sheet."""
