import { defineMessages } from "../../shared/i18n";

export const messages = defineMessages({
  opCreateListing: { zh: "发布供需信息", en: "Post a listing" },
  opWithdrawListing: { zh: "撤回供需信息", en: "Withdraw a listing" },
  fieldListingKind: { zh: "供需类型", en: "Supply or demand" },
  fieldListingCategory: { zh: "物资类别", en: "Category" },
  fieldItem: { zh: "物资名称", en: "Item" },
  fieldQuantity: { zh: "数量", en: "Quantity" },
  fieldUnit: { zh: "单位", en: "Unit" },
  fieldDistrict: { zh: "所在区", en: "District" },
  fieldValidUntil: { zh: "有效期至", en: "Valid until" },
  fieldContactName: { zh: "联系人", en: "Contact name" },
  fieldContactPhone: { zh: "联系电话", en: "Contact phone" },
  fieldNote: { zh: "备注", en: "Note" },
  listingSupply: { zh: "供给", en: "Supply" },
  listingDemand: { zh: "需求", en: "Demand" },
  listingSupplies: { zh: "防疫物资", en: "Prevention supplies" },
  listingMaterials: { zh: "原材料", en: "Materials" },
  listingLogistics: { zh: "物流运力", en: "Logistics" },
  listingStaff: { zh: "用工", en: "Staff" },
});
