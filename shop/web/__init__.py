"""HTTP around the views: security headers and CSP, strict input, gzip, versioned static
files, error pages, and the in-process transport to the mounted sandbox."""
