CREATE TABLE `audience_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dimension` text NOT NULL,
	`key` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audience_keys_dimension_key_uq` ON `audience_keys` (`dimension`,`key`);--> statement-breakpoint
ALTER TABLE `account_features` ADD `audience_profile` blob;