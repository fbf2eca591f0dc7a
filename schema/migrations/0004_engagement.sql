CREATE TABLE `campaign_creator_daily` (
	`campaign_id` integer NOT NULL,
	`influencer_id` integer NOT NULL,
	`day` integer NOT NULL,
	`posts_published` integer DEFAULT 0 NOT NULL,
	`likes` integer DEFAULT 0 NOT NULL,
	`comments` integer DEFAULT 0 NOT NULL,
	`shares` integer DEFAULT 0 NOT NULL,
	`saves` integer DEFAULT 0 NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`reach` integer DEFAULT 0 NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`campaign_id`, `influencer_id`, `day`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`influencer_id`) REFERENCES `influencers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `campaign_creator_daily_influencer_idx` ON `campaign_creator_daily` (`influencer_id`);--> statement-breakpoint
CREATE TABLE `engagement_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`post_id` integer,
	`kind` text NOT NULL,
	`observed_at` integer NOT NULL,
	`score` real NOT NULL,
	`reason` text NOT NULL,
	`detected_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `social_accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `engagement_flags_account_idx` ON `engagement_flags` (`account_id`,`observed_at`);--> statement-breakpoint
CREATE INDEX `engagement_flags_post_idx` ON `engagement_flags` (`post_id`);--> statement-breakpoint
ALTER TABLE `account_features` ADD `engagement_rate_30d` real;--> statement-breakpoint
ALTER TABLE `account_features` ADD `flag_suspicion` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `influencers` ADD `external_ref` text;--> statement-breakpoint
CREATE UNIQUE INDEX `influencers_external_ref_uq` ON `influencers` (`external_ref`);