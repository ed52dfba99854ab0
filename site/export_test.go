package site

import "context"

// BuildKeepingLabels builds like Build but leaves the {{ T "key" }} actions to Hugo instead of writing the
// labels into the templates first (labels.go), for the test that the two give the same site.
func BuildKeepingLabels(ctx context.Context, opt Options) (*Result, error) {
	return build(ctx, opt, false)
}
