"""Scaffolding: `startsite`, `startpage`, `startblock` and `createsite` write a site, a page
type or a block with its React part and its tests, following the conventions of
`sites/example` and `cms/blocks`, from the files in `skeletons/`."""
