-- Keyword search (server/discovery/keyword-search.ts): SQLite FTS5, so this migration and that module are the only
-- places that know about it. Written by hand (`drizzle-kit generate --custom`): drizzle-kit does not model virtual
-- tables or triggers, and `drizzle-kit push` would see the FTS5 shadow tables and want to drop them (do not push).
--
-- account_search_docs: each social account's search document (bio, categories as words, the captions of its 10 most
-- recent posts without their trailing hashtag block, those posts' hashtags). Written by rebuildKeywordIndex /
-- reindexKeywordAccounts only; no foreign key, so the rebuild can empty it with SQLite's truncate optimisation.
CREATE TABLE `account_search_docs` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`bio` text DEFAULT '' NOT NULL,
	`categories` text DEFAULT '' NOT NULL,
	`captions` text DEFAULT '' NOT NULL,
	`hashtags` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
-- Word index over the documents (external content: the text is stored once, in account_search_docs, and highlight()
-- reads it from there). unicode61 folds case and diacritics ("cafe" finds "café"); `categories` adds the combining
-- marks (M*) to the token characters, without which Devanagari words would be cut at every vowel sign.
CREATE VIRTUAL TABLE `account_search` USING fts5(
	bio, categories, captions, hashtags,
	content = 'account_search_docs', content_rowid = 'account_id',
	tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
);
--> statement-breakpoint
-- Substring index over the Chinese/Japanese/Korean runs of the same documents (trigram tokenizer), for accounts that
-- have any. Contentless: matches are read from the index alone and snippets from account_search_docs.
CREATE VIRTUAL TABLE `account_search_cjk` USING fts5(
	bio, captions, hashtags,
	content = '', contentless_delete = 1,
	tokenize = 'trigram'
);
--> statement-breakpoint
-- Every trigram occurrence (term, doc, col, offset) of account_search_cjk: 1- and 2-character CJK terms are found as
-- the trigrams they start (a term range scan of the index), which MATCH and LIKE cannot do with an index.
CREATE VIRTUAL TABLE `account_search_cjk_instances` USING fts5vocab(account_search_cjk, 'instance');
--> statement-breakpoint
-- A deleted account (directly or by cascade from its influencer) leaves the keyword index at once.
CREATE TRIGGER `account_search_account_deleted` AFTER DELETE ON `social_accounts` BEGIN
	INSERT INTO account_search(account_search, rowid, bio, categories, captions, hashtags)
		SELECT 'delete', account_id, bio, categories, captions, hashtags FROM account_search_docs WHERE account_id = old.id;
	DELETE FROM account_search_docs WHERE account_id = old.id;
	DELETE FROM account_search_cjk WHERE rowid = old.id;
END;
