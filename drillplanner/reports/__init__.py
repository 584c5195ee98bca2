"""PDF reports (reportlab is imported here and nowhere else).

Each report is ``build_<name>(data, out, options) -> pages``: plain data from
``domain.report_data`` in, a PDF written to a binary stream out. ``registry.REPORTS``
lists them with their translated titles.
"""
