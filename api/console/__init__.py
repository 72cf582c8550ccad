"""The web console at ``/`` and GraphiQL at ``/graphql``, with every asset served from here.

Nothing either page loads comes from another host: the console's own scripts and styles live in
``web/`` and are served under a path holding their content hash (so browsers may keep them for a
year); the libraries (React, GraphiQL, cytoscape.js) come from npm at build time, pinned by
``tools/console/package-lock.json``, and are copied into ``vendor/<package>@<version>/`` by
``make assets``. The console talks to the server only through the public GraphQL API.
"""

from __future__ import annotations

from api.console.pages import ConsoleGraphQLRouter, mount_console

__all__ = ["ConsoleGraphQLRouter", "mount_console"]
