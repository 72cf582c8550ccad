// The one way the console talks to the server: the public GraphQL API at /graphql.

const TOKEN_KEY = "gridgraph.token";

/** The bearer token, kept in sessionStorage only: it goes when the browser session ends. */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || "",
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value.trim()),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** A GraphQL answer with errors, or an HTTP refusal (``status`` 401 or 403). */
export class ApiError extends Error {
  constructor(message, status, errors = []) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

/**
 * POST one GraphQL document; with ``file``, as a GraphQL multipart request (the upload goes in
 * ``variables.file``). Resolves to ``data``; rejects with an ApiError naming every error.
 */
export async function gql(query, variables = {}, file = null) {
  const headers = { Accept: "application/json" };
  if (token.get()) headers.Authorization = `Bearer ${token.get()}`;
  let body;
  if (file) {
    body = new FormData();
    body.append("operations", JSON.stringify({ query, variables: { ...variables, file: null } }));
    body.append("map", JSON.stringify({ 0: ["variables.file"] }));
    body.append("0", file, file.name);
  } else {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify({ query, variables });
  }
  const response = await fetch("/graphql", { method: "POST", headers, body });
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status}`, response.status);
  }
  if (payload.errors && payload.errors.length) {
    const message = payload.errors.map((e) => e.message).join("; ");
    throw new ApiError(message, response.status, payload.errors);
  }
  return payload.data;
}

/** Today in China (the graph's day), as YYYY-MM-DD. */
export function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
}
