// Replaced by the policy layer (issue 4).
