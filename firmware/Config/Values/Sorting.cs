using System.Collections;

namespace VpnAppliance.Config
{
    /// <summary>Insertion sort for small lists (canonical print order); stable, no allocation.</summary>
    public static class Sorting
    {
        /// <summary>Sorts <paramref name="list"/> ascending by <paramref name="comparer"/>.</summary>
        public static void Sort(ArrayList list, IComparer comparer)
        {
            for (int i = 1; i < list.Count; i++)
            {
                object x = list[i];
                int j = i - 1;
                while (j >= 0 && comparer.Compare(list[j], x) > 0)
                {
                    list[j + 1] = list[j];
                    j--;
                }
                list[j + 1] = x;
            }
        }
    }
}
