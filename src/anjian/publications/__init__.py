"""Publication of enforcement results on the portal (执法公示): masked, on time, for a period."""
