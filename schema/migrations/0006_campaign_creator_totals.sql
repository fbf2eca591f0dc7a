-- Edited by hand after drizzle-kit generate: WITHOUT ROWID like the other roll-ups (see 0005).
CREATE TABLE `campaign_creator_totals` (
	`campaign_id` integer NOT NULL,
	`influencer_id` integer NOT NULL,
	`posts_published` integer DEFAULT 0 NOT NULL,
	`likes` integer DEFAULT 0 NOT NULL,
	`comments` integer DEFAULT 0 NOT NULL,
	`shares` integer DEFAULT 0 NOT NULL,
	`saves` integer DEFAULT 0 NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`reach` integer DEFAULT 0 NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`campaign_id`, `influencer_id`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`influencer_id`) REFERENCES `influencers`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `campaign_creator_totals_influencer_idx` ON `campaign_creator_totals` (`influencer_id`);