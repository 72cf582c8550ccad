// The event categories and their types: reference data every building page offers, fetched
// once per page load (not once per view).
import { gql } from "./api.js";

const CATALOG = `query ConsoleEventCatalog {
  eventCategories(first: 100) { nodes { id name eventTypes { id name } } }
}`;

let pending = null;

export function eventCatalog() {
  if (!pending) {
    pending = gql(CATALOG)
      .then((d) => d.eventCategories.nodes.filter((c) => c.eventTypes.length))
      .catch((error) => {
        pending = null;
        throw error;
      });
  }
  return pending;
}
