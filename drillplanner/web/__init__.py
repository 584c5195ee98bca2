"""The phone page: a small web face over the services, served on the school's network while
a drill runs, so class teachers report their headcounts from where they stand.

Like ``cli`` and ``ui`` it holds no business rules: requests become service calls, and the
services' values become JSON.
"""
