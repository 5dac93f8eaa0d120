import { useState } from "react";
import { Button, Card, Space, Tabs, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import type { NewListing_Serialize as NewListing, Status_Serialize as Status } from "../../bindings";
import { useMessages } from "../../shared/i18n";
import { useFocus } from "../../shared/navigation";
import BrowsePanel from "./BrowsePanel";
import ListingForm from "./ListingForm";
import OwnListings from "./OwnListings";
import { messages } from "./messages";
import { MINE } from "./focus";

type Editing = { key: string | null; initial: Partial<NewListing> | null };

/** 供需对接: browsing every listing, one's own with their matches, and posting or editing one. */
export default function ListingsPage({ status }: { status: Status }) {
  const t = useMessages(messages);
  const enterprise = status.enterprise;
  const [tab, setTab] = useState<"browse" | "mine">("browse");
  const [editing, setEditing] = useState<Editing | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  // A focus key is one of ours (`mine:<key>`, shown with its matches) or a card of the market.
  useFocus("listings", enterprise, (key) => {
    setEditing(null);
    const own = key.startsWith(MINE);
    setFocus(own ? key.slice(MINE.length) : key);
    setTab(own ? "mine" : "browse");
  });
  if (!enterprise) return null;

  const account = status.account;
  const fresh: Partial<NewListing> = {
    district: account?.district ?? undefined,
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="listings-page">
      <Card
        title={t("pageTitle")}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing({ key: null, initial: fresh });
            }}
            data-testid="new-listing"
          >
            {t("newListing")}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t("intro")}
        </Typography.Paragraph>
      </Card>
      {editing ? (
        <Card title={t(editing.key ? "formEdit" : "formNew")}>
          <ListingForm
            enterprise={enterprise}
            editing={editing.key}
            initial={editing.initial}
            onDone={() => {
              setEditing(null);
              setTab("mine");
            }}
          />
        </Card>
      ) : (
        <Card>
          <Tabs
            activeKey={tab}
            onChange={(k) => {
              // The entry's listing stays marked until the officer moves on.
              setFocus(null);
              setTab(k === "mine" ? "mine" : "browse");
            }}
            items={[
              {
                key: "browse",
                label: <span data-testid="tab-browse">{t("tabBrowse")}</span>,
                children: <BrowsePanel enterprise={enterprise} focusKey={focus} />,
              },
              {
                key: "mine",
                label: <span data-testid="tab-mine">{t("tabMine")}</span>,
                children: (
                  <OwnListings
                    enterprise={enterprise}
                    focusKey={focus}
                    onEdit={(v) => {
                      setEditing({ key: v.key, initial: v.details });
                    }}
                  />
                ),
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
