CREATE TABLE `account_hashtags` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`tags` blob NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `social_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `hashtag_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tag` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hashtag_keys_tag_uq` ON `hashtag_keys` (`tag`);