"""Helpers shared by the risk pages: the same year handling as the objectives' pages."""

from eiso.objectives.views._common import ThisYearByDefault, year_of

__all__ = ["ThisYearByDefault", "year_of"]
