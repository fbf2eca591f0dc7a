CREATE TABLE `account_snapshots` (
	`account_id` integer NOT NULL,
	`captured_at` integer NOT NULL,
	`followers` integer NOT NULL,
	`following` integer NOT NULL,
	`post_count` integer NOT NULL,
	PRIMARY KEY(`account_id`, `captured_at`),
	FOREIGN KEY (`account_id`) REFERENCES `social_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_uq` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_prefix_uq` ON `api_keys` (`prefix`);--> statement-breakpoint
CREATE INDEX `api_keys_organization_idx` ON `api_keys` (`organization_id`);--> statement-breakpoint
CREATE TABLE `audience_shares` (
	`account_id` integer NOT NULL,
	`dimension` text NOT NULL,
	`key` text NOT NULL,
	`share` real NOT NULL,
	PRIMARY KEY(`account_id`, `dimension`, `key`),
	FOREIGN KEY (`account_id`) REFERENCES `social_accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "audience_shares_share_range" CHECK("audience_shares"."share" >= 0 and "audience_shares"."share" <= 1)
);
--> statement-breakpoint
CREATE INDEX `audience_shares_dimension_key_idx` ON `audience_shares` (`dimension`,`key`,`share`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`api_key_id` integer,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` integer NOT NULL,
	`before` text,
	`after` text,
	`at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`api_key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `audit_log_organization_idx` ON `audit_log` (`organization_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_log_api_key_idx` ON `audit_log` (`api_key_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`name` text NOT NULL,
	`objective` text NOT NULL,
	`status` text DEFAULT 'DRAFT' NOT NULL,
	`budget_amount` integer NOT NULL,
	`currency` text NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`target_countries` text DEFAULT '[]' NOT NULL,
	`categories` text DEFAULT '[]' NOT NULL,
	`audience_targets` text DEFAULT '[]' NOT NULL,
	`keywords` text DEFAULT '[]' NOT NULL,
	`brief` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`archived_at` integer,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "campaigns_budget_nonneg" CHECK("campaigns"."budget_amount" >= 0)
);
--> statement-breakpoint
CREATE INDEX `campaigns_organization_idx` ON `campaigns` (`organization_id`,`id`);--> statement-breakpoint
CREATE INDEX `campaigns_organization_status_idx` ON `campaigns` (`organization_id`,`status`,`id`);--> statement-breakpoint
CREATE TABLE `collaborations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`influencer_id` integer NOT NULL,
	`status` text DEFAULT 'SHORTLISTED' NOT NULL,
	`fee_amount` integer,
	`fee_currency` text,
	`promo_code` text,
	`tracking_url` text,
	`notes` text DEFAULT '' NOT NULL,
	`status_changed_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`influencer_id`) REFERENCES `influencers`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `collaborations_campaign_influencer_uq` ON `collaborations` (`campaign_id`,`influencer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `collaborations_promo_code_uq` ON `collaborations` (`promo_code`);--> statement-breakpoint
CREATE INDEX `collaborations_influencer_idx` ON `collaborations` (`influencer_id`);--> statement-breakpoint
CREATE INDEX `collaborations_campaign_status_idx` ON `collaborations` (`campaign_id`,`status`);--> statement-breakpoint
CREATE TABLE `conversions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`collaboration_id` integer,
	`promo_code` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`orders` integer NOT NULL,
	`revenue_amount` integer NOT NULL,
	`currency` text NOT NULL,
	FOREIGN KEY (`collaboration_id`) REFERENCES `collaborations`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversions_promo_code_occurred_uq` ON `conversions` (`promo_code`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `conversions_collaboration_idx` ON `conversions` (`collaboration_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `deliverables` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`collaboration_id` integer NOT NULL,
	`platform` text NOT NULL,
	`kind` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'PENDING' NOT NULL,
	`due_at` integer,
	`post_id` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`collaboration_id`) REFERENCES `collaborations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `deliverables_collaboration_idx` ON `deliverables` (`collaboration_id`,`id`);--> statement-breakpoint
CREATE INDEX `deliverables_post_idx` ON `deliverables` (`post_id`);--> statement-breakpoint
CREATE TABLE `influencer_categories` (
	`influencer_id` integer NOT NULL,
	`category` text NOT NULL,
	PRIMARY KEY(`influencer_id`, `category`),
	FOREIGN KEY (`influencer_id`) REFERENCES `influencers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `influencer_categories_category_idx` ON `influencer_categories` (`category`,`influencer_id`);--> statement-breakpoint
CREATE TABLE `influencers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`bio` text DEFAULT '' NOT NULL,
	`country` text NOT NULL,
	`language` text NOT NULL,
	`contact_email` text,
	`total_followers` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `influencers_country_idx` ON `influencers` (`country`,`id`);--> statement-breakpoint
CREATE INDEX `influencers_total_followers_idx` ON `influencers` (`total_followers`,`id`);--> statement-breakpoint
CREATE INDEX `influencers_name_idx` ON `influencers` (`name`,`id`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_slug_uq` ON `organizations` (`slug`);--> statement-breakpoint
CREATE TABLE `post_metric_snapshots` (
	`post_id` integer NOT NULL,
	`captured_at` integer NOT NULL,
	`likes` integer DEFAULT 0 NOT NULL,
	`comments` integer DEFAULT 0 NOT NULL,
	`shares` integer DEFAULT 0 NOT NULL,
	`saves` integer DEFAULT 0 NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`reach` integer DEFAULT 0 NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`post_id`, `captured_at`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`platform` text NOT NULL,
	`external_id` text NOT NULL,
	`kind` text NOT NULL,
	`published_at` integer NOT NULL,
	`caption` text DEFAULT '' NOT NULL,
	`hashtags` text DEFAULT '[]' NOT NULL,
	`url` text,
	`campaign_id` integer,
	FOREIGN KEY (`account_id`) REFERENCES `social_accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_platform_external_id_uq` ON `posts` (`platform`,`external_id`);--> statement-breakpoint
CREATE INDEX `posts_account_published_idx` ON `posts` (`account_id`,`published_at`);--> statement-breakpoint
CREATE INDEX `posts_campaign_published_idx` ON `posts` (`campaign_id`,`published_at`) WHERE "posts"."campaign_id" is not null;--> statement-breakpoint
CREATE TABLE `seed_truth` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`quality` real NOT NULL,
	`fraud` text,
	FOREIGN KEY (`account_id`) REFERENCES `social_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `social_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`influencer_id` integer NOT NULL,
	`platform` text NOT NULL,
	`handle` text NOT NULL,
	`followers` integer DEFAULT 0 NOT NULL,
	`following` integer DEFAULT 0 NOT NULL,
	`post_count` integer DEFAULT 0 NOT NULL,
	`verified` integer DEFAULT false NOT NULL,
	`average_likes` real DEFAULT 0 NOT NULL,
	`average_comments` real DEFAULT 0 NOT NULL,
	`average_views` real DEFAULT 0 NOT NULL,
	`engagement_rate` real DEFAULT 0 NOT NULL,
	`audience_credibility` real DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`influencer_id`) REFERENCES `influencers`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "social_accounts_followers_nonneg" CHECK("social_accounts"."followers" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `social_accounts_platform_handle_uq` ON `social_accounts` (`platform`,`handle`);--> statement-breakpoint
CREATE INDEX `social_accounts_influencer_idx` ON `social_accounts` (`influencer_id`);--> statement-breakpoint
CREATE INDEX `social_accounts_platform_followers_idx` ON `social_accounts` (`platform`,`followers`);