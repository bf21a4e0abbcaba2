/* fields.h: the record's field names (feedpipe(5)), in one place. */
#ifndef FEEDPIPE_FIELDS_H
#define FEEDPIPE_FIELDS_H

#define F_ID "id"
#define F_TITLE "title"
#define F_LINK "link"
#define F_AUTHORS "authors"
#define F_SUMMARY "summary"
#define F_SUMMARY_HTML "summary_html"
#define F_PUBLISHED "published"
#define F_UPDATED "updated"
#define F_CATEGORIES "categories"
#define F_DOI "doi"
#define F_PMID "pmid"
#define F_JOURNAL "journal"
#define F_ARXIV "arxiv"
#define F_ARXIV_ID "id"
#define F_ARXIV_VERSION "version"
#define F_ARXIV_ANNOUNCE "announce_type"
#define F_ARXIV_PRIMARY "primary"
#define F_GUID "guid"
#define F_FEED "feed"
#define F_FEED_TITLE "title"
#define F_FEED_LINK "link"
#define F_FEED_NAME "name"
#define F_TAGS "tags"
#define F_SCORE "score"
#define F_ALSO "also"
#define F_PREPRINT "preprint"
#define F_NEW_VERSION "new_version"
#define F_AI "ai"

#endif
