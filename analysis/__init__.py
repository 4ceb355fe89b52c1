"""Figures and tables of igbench result files.

    /usr/bin/python3 -m analysis plot RESULTS.h5 --out DIR
    /usr/bin/python3 -m analysis summary RESULTS.h5 [--csv PATH]

Modules: results (reading, validating, grouping, statistics), style (method names, colours,
order, figure geometry), plots (the figures), summary (the tables), cli.
"""
