package site

import (
	"strings"
	"testing"

	"xinyong"
)

func TestHTMLContext(t *testing.T) {
	for _, c := range []struct {
		before string
		want   bool
	}{
		{`<p>`, true},
		{`<th scope="col">`, true},
		{`<td data-label="`, true},
		{`<a title='`, true},
		{`<title>`, true},
		{`<a href="/x/">`, true},
		{`<a href="`, false},
		{`<img src="`, false},
		{`<button onclick="`, false},
		{`<div style="`, false},
		{`<meta name="description" content="`, false},
		{`<td data-label=`, false},
		{`<a data-action="`, false},
		{`<a data-href-url="`, false},
		{`<svg xlink:title="`, false},
		{`<script>var s = `, false},
		{`<script>x</script><p>`, true},
		{`<style>p::before{content:"`, false},
		{`<a title="{{ T "a" }} `, false}, // quotes inside an earlier action: unsure, left to Hugo
	} {
		if got := htmlContext(c.before); got != c.want {
			t.Errorf("htmlContext(%q) = %v, want %v", c.before, got, c.want)
		}
	}
}

func TestInlineTemplate(t *testing.T) {
	msgs := map[string]string{"a": "甲 & <乙>", "b": "丙"}
	src := `<p>{{ T "a" }}</p><a href="{{ T "b" }}" title="{{ T "b" }}">{{- T "b" -}}{{ T "c" }}</a>`
	want := `<p>甲 &amp; &lt;乙&gt;</p><a href="{{ T "b" }}" title="丙">{{- T "b" -}}{{ T "c" }}</a>`
	if got := inlineTemplate(src, msgs); got != want {
		t.Errorf("inlineTemplate:\n got %s\nwant %s", got, want)
	}
}

// TestDefaultBaseURL keeps hugo.toml's baseURL and xinyong.DefaultBaseURL (used by the open-data and change
// files) the same address.
func TestDefaultBaseURL(t *testing.T) {
	if want := "baseURL = \"" + xinyong.DefaultBaseURL + "\""; !strings.Contains(siteConfig, want) {
		t.Errorf("hugo.toml has no %s", want)
	}
}
