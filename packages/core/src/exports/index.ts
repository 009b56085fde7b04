export {
  exportContactsCsv,
  contactExportInputSchema,
  neutralizeFormula,
  type ContactExportInput,
} from "./contacts-csv.ts";
