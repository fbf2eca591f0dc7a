-- Edited by hand after drizzle-kit generate: both roll-up tables are WITHOUT ROWID, so a report's range scan over
-- (campaign, creator, day) reads the rows in key order instead of looking each one up in a rowid table
-- (drizzle-kit cannot declare WITHOUT ROWID; the columns match the snapshot). campaign_creator_daily is recreated:
-- it is derived data, rebuilt by rebuildAllRollups (the seed) or by the next ingest of its posts.
DROP TABLE `campaign_creator_daily`;
--> statement-breakpoint
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
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `campaign_creator_daily_influencer_idx` ON `campaign_creator_daily` (`influencer_id`);
--> statement-breakpoint
CREATE TABLE `campaign_daily` (
	`campaign_id` integer NOT NULL,
	`day` integer NOT NULL,
	`posts_published` integer DEFAULT 0 NOT NULL,
	`likes` integer DEFAULT 0 NOT NULL,
	`comments` integer DEFAULT 0 NOT NULL,
	`shares` integer DEFAULT 0 NOT NULL,
	`saves` integer DEFAULT 0 NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`reach` integer DEFAULT 0 NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`campaign_id`, `day`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
