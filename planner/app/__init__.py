"""Use cases: what a user does (plan a brief, save it, ...), one function each, called alike by the pages and the
command line. Each takes typed inputs (a frozen planner.planning.brief.Brief) and returns a frozen result with
``to_json()``: the command line prints it, a page draws it."""
