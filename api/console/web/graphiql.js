// GraphiQL against this server's /graphql. The query and variables live in the URL's query string
// (?q=…&variables=…; not ?query=, which would run it), so a link can open a ready-made question;
// headers are not kept at all (an admin's token never outlives the page).
(function () {
  const params = new URLSearchParams(window.location.search);
  const DEFAULT_QUERY = [
    "# 网格治理图谱 GraphQL API — 示例：按拼音查找社区",
    "# Example: find a community by pinyin. Ctrl-Enter runs it.",
    "query Search($text: String!) {",
    "  search(text: $text, kinds: [Community], first: 5) {",
    "    id",
    "    name",
    "    ... on Grid { ancestors { name } }",
    "  }",
    "}",
    "",
  ].join("\n");

  function remember(key, value) {
    if (value) params.set(key, value);
    else params.delete(key);
    const search = params.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: DEFAULT_QUERY,
      query: params.get("q") || undefined,
      variables: params.get("variables") || (params.get("q") ? undefined : '{"text": "liyang"}'),
      onEditQuery: (q) => remember("q", q),
      onEditVariables: (v) => remember("variables", v),
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: true,
    }),
  );
})();
