-- Edited by hand after drizzle-kit generate: WITHOUT ROWID like the other roll-ups (see 0005), and the triggers that
-- keep both tables equal to sums over `conversions` (drizzle-kit declares neither). Conversions only add up, so a
-- trigger maintains the sums exactly on every insert, update and delete, whatever writes them; the captures' roll-ups
-- (rollups.ts) are recomputed in code instead, because a post's gains depend on its earlier captures.
-- A row exists while at least one conversion is summed in it (`conversions` > 0), as a GROUP BY over conversions would.
CREATE TABLE `campaign_daily_sales` (
	`campaign_id` integer NOT NULL,
	`day` integer NOT NULL,
	`currency` text NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`revenue` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`campaign_id`, `day`, `currency`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `collaboration_sales` (
	`campaign_id` integer NOT NULL,
	`collaboration_id` integer NOT NULL,
	`currency` text NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`orders` integer DEFAULT 0 NOT NULL,
	`revenue` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`campaign_id`, `collaboration_id`, `currency`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`collaboration_id`) REFERENCES `collaborations`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `collaboration_sales_collaboration_idx` ON `collaboration_sales` (`collaboration_id`);
--> statement-breakpoint
INSERT INTO `collaboration_sales` (campaign_id, collaboration_id, currency, conversions, orders, revenue)
	SELECT c.campaign_id, v.collaboration_id, v.currency, count(*), sum(v.orders), sum(v.revenue_amount)
	FROM conversions v JOIN collaborations c ON c.id = v.collaboration_id GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO `campaign_daily_sales` (campaign_id, day, currency, conversions, orders, revenue)
	SELECT c.campaign_id, v.occurred_at / 86400000 * 86400000, v.currency, count(*), sum(v.orders), sum(v.revenue_amount)
	FROM conversions v JOIN collaborations c ON c.id = v.collaboration_id GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER `conversions_sales_inserted` AFTER INSERT ON `conversions` BEGIN
	INSERT INTO collaboration_sales (campaign_id, collaboration_id, currency, conversions, orders, revenue)
		SELECT c.campaign_id, c.id, new.currency, 1, new.orders, new.revenue_amount FROM collaborations c WHERE c.id = new.collaboration_id
		ON CONFLICT DO UPDATE SET conversions = conversions + 1, orders = orders + excluded.orders, revenue = revenue + excluded.revenue;
	INSERT INTO campaign_daily_sales (campaign_id, day, currency, conversions, orders, revenue)
		SELECT c.campaign_id, new.occurred_at / 86400000 * 86400000, new.currency, 1, new.orders, new.revenue_amount FROM collaborations c WHERE c.id = new.collaboration_id
		ON CONFLICT DO UPDATE SET conversions = conversions + 1, orders = orders + excluded.orders, revenue = revenue + excluded.revenue;
END;
--> statement-breakpoint
CREATE TRIGGER `conversions_sales_deleted` AFTER DELETE ON `conversions` BEGIN
	UPDATE collaboration_sales SET conversions = conversions - 1, orders = orders - old.orders, revenue = revenue - old.revenue_amount
		WHERE collaboration_id = old.collaboration_id AND currency = old.currency;
	DELETE FROM collaboration_sales WHERE collaboration_id = old.collaboration_id AND currency = old.currency AND conversions = 0;
	UPDATE campaign_daily_sales SET conversions = conversions - 1, orders = orders - old.orders, revenue = revenue - old.revenue_amount
		WHERE campaign_id = (SELECT campaign_id FROM collaborations WHERE id = old.collaboration_id)
		AND day = old.occurred_at / 86400000 * 86400000 AND currency = old.currency;
	DELETE FROM campaign_daily_sales WHERE campaign_id = (SELECT campaign_id FROM collaborations WHERE id = old.collaboration_id)
		AND day = old.occurred_at / 86400000 * 86400000 AND currency = old.currency AND conversions = 0;
END;
--> statement-breakpoint
-- An update is the old row taken out and the new one added (the same statements as the two triggers above).
CREATE TRIGGER `conversions_sales_updated` AFTER UPDATE OF collaboration_id, occurred_at, orders, revenue_amount, currency ON `conversions` BEGIN
	UPDATE collaboration_sales SET conversions = conversions - 1, orders = orders - old.orders, revenue = revenue - old.revenue_amount
		WHERE collaboration_id = old.collaboration_id AND currency = old.currency;
	DELETE FROM collaboration_sales WHERE collaboration_id = old.collaboration_id AND currency = old.currency AND conversions = 0;
	UPDATE campaign_daily_sales SET conversions = conversions - 1, orders = orders - old.orders, revenue = revenue - old.revenue_amount
		WHERE campaign_id = (SELECT campaign_id FROM collaborations WHERE id = old.collaboration_id)
		AND day = old.occurred_at / 86400000 * 86400000 AND currency = old.currency;
	DELETE FROM campaign_daily_sales WHERE campaign_id = (SELECT campaign_id FROM collaborations WHERE id = old.collaboration_id)
		AND day = old.occurred_at / 86400000 * 86400000 AND currency = old.currency AND conversions = 0;
	INSERT INTO collaboration_sales (campaign_id, collaboration_id, currency, conversions, orders, revenue)
		SELECT c.campaign_id, c.id, new.currency, 1, new.orders, new.revenue_amount FROM collaborations c WHERE c.id = new.collaboration_id
		ON CONFLICT DO UPDATE SET conversions = conversions + 1, orders = orders + excluded.orders, revenue = revenue + excluded.revenue;
	INSERT INTO campaign_daily_sales (campaign_id, day, currency, conversions, orders, revenue)
		SELECT c.campaign_id, new.occurred_at / 86400000 * 86400000, new.currency, 1, new.orders, new.revenue_amount FROM collaborations c WHERE c.id = new.collaboration_id
		ON CONFLICT DO UPDATE SET conversions = conversions + 1, orders = orders + excluded.orders, revenue = revenue + excluded.revenue;
END;
--> statement-breakpoint
-- Deleting a collaboration sets its conversions' collaboration_id to NULL; doing that here, while the collaboration
-- still exists, lets the update trigger find its campaign and take the conversions out of the daily sums.
CREATE TRIGGER `collaborations_sales_deleted` BEFORE DELETE ON `collaborations` BEGIN
	UPDATE conversions SET collaboration_id = NULL WHERE collaboration_id = old.id;
END;
