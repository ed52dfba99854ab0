// Package changes records what each publication of 信用盘锦 added, changed and removed.
//
// A publication is compared with the one it replaces (Diff), entry by entry: the red list, the black list and
// the typical cases of the two export trees, keyed as "red/<id>", "black/<id>" and "cases/<id>". The result
// goes three ways, all written into the new release before it becomes current:
//
//   - a delta file per release and an index of the recent ones, for machines (WriteFiles; the site's
//     /data/changes/);
//   - the /changes/ pages and their RSS feed, for people (WritePages; Hugo pages in the content tree);
//   - the history of every entry across releases: first seen, last seen, last change (Record; a file in
//     the release directory, not on the site).
//
// Privacy: a removed entry is recorded by its list and id only. The delta files and the history name no
// subject: no name, no credit code, no text of the entry; an added or changed entry carries its list, id,
// list name and page URL, all of which its public page shows anyway. The /changes/ pages, written anew by
// every release from its own export tree, name an added or changed entry only while its page is public,
// and only as that page names it (its title, list name and department: Describe). Removed, repaired and
// revoked entries thus leave only "this id left" behind, as docs/CONTRACT.md allows.
//
// Memory is proportional to the number of entries (their ids), never to their contents: the trees are
// compared file by file through sorted directory listings, and the history is merged as a sorted stream.
// With the content sums the exports wrote (Dirs.PrevSums, Dirs.Sums), a list entry whose page has the same
// SHA-256 in both trees is unchanged without reading either page (DiffSums).
package changes
