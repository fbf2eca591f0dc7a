CREATE TABLE `account_features` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`follower_growth_30d` real DEFAULT 0 NOT NULL,
	`largest_follower_jump` real DEFAULT 0 NOT NULL,
	`likes_per_view_rise` real DEFAULT 1 NOT NULL,
	`posts_last_30d` integer DEFAULT 0 NOT NULL,
	`last_post_at` integer,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `social_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `feature_refreshes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`as_of` integer NOT NULL,
	`accounts` integer NOT NULL,
	`finished_at` integer NOT NULL
);
