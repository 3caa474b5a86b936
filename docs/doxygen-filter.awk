# docs/doxygen-filter.awk - lets doxygen read the public headers as they are
# written (plain C comments, no doxygen markup):
#   - the first comment of a file becomes its @file description;
#   - a comment that starts a line documents what follows it (/* -> /**),
#     except section rulers ("/* ---- title ----") which stay plain;
#   - a comment after code on the same line documents that code (/**<).
# Only what doxygen sees changes; the headers are untouched.
BEGIN { first = 1 }
{
	line = $0
	if (first && line ~ /^\/\*/) {
		sub(/^\/\*/, "/** @file", line)
		first = 0
	} else if (line ~ /^[ \t]*\/\*[^*]/ || line ~ /^[ \t]*\/\*$/) {
		if (line !~ /^[ \t]*\/\* *(----|====)/)
			sub(/\/\*/, "/**", line)
	} else if (line ~ /[^ \t].*\/\*[^*]/ && line !~ /^[ \t]*\*/) {
		sub(/\/\*/, "/**<", line)
	}
	print line
}
