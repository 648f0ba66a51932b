"""The published language of the Inson platform.

Services and partner agencies depend on this package; it holds no behaviour
beyond (de)serialising events.
"""
